"""Private helpers of :mod:`ccsim.roster`: the rules (``rules.py``), the checks of a
whole instance (``inputs.py``), the CP-SAT model and its explanations of infeasibility
(``model.py``) and the result's tables (``result.py``)."""

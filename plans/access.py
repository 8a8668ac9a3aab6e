"""The permissions the plan screens ask for, named once for the view modules that share them."""

PLAN_VIEW = ("intake.view_clinical", "plans.view_plan")
PLAN_CHANGE = ("intake.view_clinical", "plans.change_plan")

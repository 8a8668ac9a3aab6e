"""One patient's record as a FHIR R4 Bundle: the bundle and its resources (bundle.py), the
Observations (observations.py) and the QuestionnaireResponses (responses.py)."""

from .bundle import bundle_json, record_bundle, validate

__all__ = ["bundle_json", "record_bundle", "validate"]

from .patients import EmergencyAccessForm, EmergencyReviewForm, PatientForm, PatientSearchForm
from .questionnaires import (
    STEPS,
    ComplaintForm,
    ConsentForm,
    PriorInjuryFormSet,
    ProfileForm,
    RedFlagScreenForm,
    SendLinkForm,
    Step,
)
from .redflags import RedFlagResolveForm
from .visits import AuthorizationForm, SeriesForm, VisitBookingForm, WhenForm

__all__ = [
    "AuthorizationForm",
    "EmergencyAccessForm",
    "EmergencyReviewForm",
    "STEPS",
    "ComplaintForm",
    "ConsentForm",
    "PatientForm",
    "PatientSearchForm",
    "PriorInjuryFormSet",
    "ProfileForm",
    "RedFlagResolveForm",
    "RedFlagScreenForm",
    "SendLinkForm",
    "SeriesForm",
    "Step",
    "VisitBookingForm",
    "WhenForm",
]

"""The numbers of the first-contact rule, written once.

The federation's minimum requirements: the first attempt to contact a seeker
is made within 48 hours counted on working days, 24 for urgent cases. The
warning goes out with 4 working hours left. Code reads these constants;
templates and e-mails read them through {% load first_contact %}.
"""

ALLOWANCE_HOURS = {"normal": 48, "urgent": 24}
WARNING_HOURS = 4

"""Dates every app bounds its input with."""

import datetime

# No report exists from before the system's data begin: an earlier date in a filter, a statistics
# period or a spot-check range is a typo (0001 for 2001), and at the ends of the calendar a day's
# neighbour or its midnight in UTC cannot even be computed.
EARLIEST_DATA_DATE = datetime.date(2000, 1, 1)

"""Fields for answers whose values a domain payload already wrote as text.

Some domain functions (``certificates.queries.verification_facts``, the import report, the
results) build dicts shared with pages, with dates already in ISO text. The API's response
schemas dump those dicts: these fields document a date or a date-time and dump either the
object or its ISO text, refusing text that is not one.
"""

from datetime import date, datetime

from marshmallow import fields


class IsoDate(fields.Date):
    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            date.fromisoformat(value)  # refuses text that is not a date
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class IsoDateTime(fields.DateTime):
    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            datetime.fromisoformat(value)  # refuses text that is not a date-time
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class Real(fields.Float):
    """A number that is not necessarily whole, dumped as given (80 stays 80, not 80.0)."""

    def _format_num(self, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return super()._format_num(value)

"""JSON routes: a handler returns a value or raises, and every failure becomes a JSON error.

    @routes.json_route
    def _serve_things(self, request):
        name = routes.required_arg(request, "name")
        return {"name": name}

A handler's value is answered as JSON (or as is, if it is a response). `RequestError(code, message)`
answers `{"error": message}` with that status; TensorBoard's `errors.PublicError` keeps its status and
headers; anything else is logged with its stack trace, on the plugin's `logger`, and answered as a 500
that names no more than its kind: the stack trace is for the log, not the user.
"""

import functools
import json
import logging

from werkzeug import wrappers

from tensorboard import errors
from tensorboard.backend import http_util
from tensorboard.backend import json_util


class RequestError(Exception):
    """A request the plugin cannot answer; becomes a JSON error response of status `code`."""

    def __init__(self, code, message):
        """`code`: the HTTP status (400, 404...); `message`: what the user is told."""
        super().__init__(message)
        self.code = code


def json_route(handler):
    """Serves `handler(self, request)`'s value (a response, or JSON), and every failure as a JSON error.

    An unexpected failure is logged on `self.logger` (a `logging.Logger`) if it has one.
    """

    @functools.wraps(handler)
    @wrappers.Request.application
    def route(self, request):
        try:
            value = handler(self, request)
            if not isinstance(value, wrappers.Response):
                value = json_response(request, value)
        except RequestError as e:
            return error_response(request, e.code, str(e))
        except errors.PublicError as e:
            # Its headers are part of the answer: an UnauthenticatedError's WWW-Authenticate challenge.
            return error_response(request, e.http_code, str(e), e.headers)
        except Exception as e:  # pylint: disable=broad-except
            logger = getattr(self, "logger", logging.getLogger(__name__))
            logger.exception("The %s plugin failed to answer %s", getattr(self, "plugin_name", "?"), request.full_path)
            return error_response(request, 500, "internal error (%s); see the server's log" % type(e).__name__)
        return value

    return route


def json_text(value):
    """`value` as JSON text, as `http_util.Respond` writes a value it is given.

    Respond first walks every value in Python (`json_util.Cleanse`: NaN and infinities as strings,
    bytes as text, sets as lists): for a run's 1,000 rows, several times what writing their JSON
    costs (BENCHMARKS.md, "stages"). A value with none of those gives the same text straight from
    `json.dumps`; only one with any takes the walk. Written here rather than in Respond so that a
    value that is no JSON at all fails inside `json_route`, as a JSON error.
    """
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps(json_util.Cleanse(value))


def json_response(request, value, headers=None):
    """The 200 response whose body is `value` as JSON (`json_text`)."""
    return json_text_response(request, json_text(value), headers)


def json_text_response(request, text, headers=None):
    """The 200 response whose body is JSON `text` made already (an answer kept for reuse)."""
    return http_util.Respond(request, text, "application/json", headers=headers)


def error_response(request, code, message, headers=None):
    """The response `{"error": message}` with status `code`."""
    return http_util.Respond(request, {"error": message}, "application/json", code=code, headers=headers)


def required_arg(request, name):
    """The value of the query parameter `name`; RequestError 400 if absent or empty."""
    value = request.args.get(name)
    if not value:
        raise RequestError(400, "missing query parameter %r" % name)
    return value


def listed_args(request, name):
    """Every value of the repeated parameter `name`; none may be empty (RequestError 400)."""
    values = request.args.getlist(name)
    if any(not value for value in values):
        raise RequestError(400, "empty query parameter %r" % name)
    return values


def int_arg(request, name, minimum=None, maximum=None):
    """The integer value of the parameter `name`, or None if absent; within [minimum, maximum] if given.

    Raises:
      RequestError: 400, the value is no integer or is out of bounds.
    """
    value = request.args.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise RequestError(400, "query parameter %r must be an integer, not %r" % (name, value[:100]))
    if minimum is not None and number < minimum:
        raise RequestError(400, "query parameter %r must be at least %d, not %d" % (name, minimum, number))
    if maximum is not None and number > maximum:
        raise RequestError(400, "query parameter %r must be at most %d, not %d" % (name, maximum, number))
    return number

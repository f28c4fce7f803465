"""The guest's own page for one booking, ``/manage/<token>``: the API's browser face for guests.

Reached from the manage link in a confirmation (:mod:`core.booking.manage_link`); no sign-in. The
page is rendered here, complete, in the guest's language (``?lang=`` to switch): the restaurant's
name, address and phone, the booking, and **Change**, **Cancel** and **Add to calendar**. A small
script (``static/manage.js``, no framework, no CDN, under the page CSP "self") makes Change and
Cancel work through the signed-link API of :mod:`api.guest_ui.api`; the data it starts from is a
JSON data block in the page (never executed). Phone first: one column, usable at 360 px.

A link that cannot be used (malformed, forged, expired, its booking gone) gets a clear page in the
visitor's language with status 404, and for an expired link the restaurant's name and phone; too
many requests from one address get the same kind of page with 429. Never a 500 for a bad link.
"""

"""The workspace server: a FastAPI application over :mod:`parcours.store`.

``create_app(backend, settings)`` (:mod:`parcours.web.app`) builds it; ``parcours serve``
runs it with uvicorn. Modules, one noun each: ``settings`` (``PARCOURS_*``), ``problems``
(the one error shape), ``middleware`` (headers, body cap, same-origin check), ``auth``
(sessions, tokens, CSRF, roles, sign-in throttle), ``login``, ``backend`` (what the routes
need from storage) and ``storage`` (that, bound to the store), ``api_workspaces`` and
``api_journeys`` (the JSON API), ``events`` (Server-Sent Events), ``twins`` (journey files),
``pages`` (HTML), ``server`` (built from the environment).
"""

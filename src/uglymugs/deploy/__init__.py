"""Deploying to AWS: what the SAM template and the ``uglymugs aws`` commands share.

``headers`` renders CloudFront's response-headers policies from the one definition in
:mod:`uglymugs.web.security_headers`; ``stack`` turns a deployed stack's outputs into
the environment ``uglymugs publish --target aws`` reads.
"""

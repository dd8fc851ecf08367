"""What the Lambda functions share of AWS Lambda Powertools: metrics and idempotency.

Both are loaded only when used, so a cold start pays for neither.
"""

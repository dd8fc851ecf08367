"""HTTP plumbing shared by every API and the dev server: errors, security headers."""

"""Single sign-on: OpenID Connect and CAS logins mapped to existing accounts by links the system administrator makes."""

"""Staff pages of the clinic app: accounts, two-factor login, the audit export."""

"""Users, roles and the authentication policy (password, lockout, TOTP, idle timeout)."""

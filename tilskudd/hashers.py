"""The password hasher: Argon2id tuned to OWASP's first recommended setting.

Django's default Argon2 parameters (100 MiB, two passes, eight lanes) cost ~0.25 s of CPU a
sign-in here, and PBKDF2 ~0.7 s. OWASP's Password Storage Cheat Sheet lists equivalent
Argon2id settings; its first one (46 MiB, one pass, one lane) is as strong against a GPU as
the others and costs ~60 ms a check, so sign-in at the deadline does not starve the web.
Older hashes (PBKDF2) still verify and are rewritten with this hasher on the next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=46 MiB, t=1, p=1 (OWASP); same algorithm name, so Django upgrades
    hashes made with other parameters when they are checked."""

    time_cost = 1
    memory_cost = 47104  # KiB
    parallelism = 1

"""A real password hasher (MD5, as the other fast tests use) that counts its work, so a test can
show every sign-in answer costs the same number of hash computations."""

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    encodes = 0
    verifies = 0

    def encode(self, password, salt):
        CountingHasher.encodes += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        CountingHasher.verifies += 1
        return super().verify(password, encoded)

    @classmethod
    def reset(cls) -> None:
        cls.encodes = cls.verifies = 0

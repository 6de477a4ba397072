"""Standard normal draws bit-identical to R's ``set.seed(seed); rnorm(n)``.

Why this exists: the least-favourable critical value of the C-LF hybrid test (Andrews, Roth &
Pakes 2023, section 6.2) is a simulated quantile. R package HonestDiD draws its 1,000 simulations
after ``set.seed(0)`` with R's default generators, so the published confidence sets depend on
those particular draws. Using the very same draws lets us reproduce the reference numbers exactly
instead of only up to simulation noise; any other seed gives an equally valid test.

R's defaults (``RNGkind()`` = "Mersenne-Twister", "Inversion") are:

- ``set.seed(s)``: scramble ``s`` 50 times with the linear congruence ``s <- 69069 s + 1``
  (mod 2^32), then fill the 625 seed words the same way; word 0 is the position counter and is
  reset to 624, words 1..624 are the MT19937 state. This is plain MT19937, so numpy's bit
  generator produces the same 32-bit outputs once given that state.
- ``unif_rand()``: a 32-bit output times 2^-32, nudged into the open interval (0, 1).
- ``norm_rand()``: Inversion with 2^27 extra resolution:
  ``u = (floor(2^27 u1) + u2) / 2^27`` from two uniforms, then ``qnorm(u)``.

``qnorm`` (Wichura's AS 241) and scipy's ``ndtri`` agree to within a few ulps, far below anything
that could move a test decision.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import ndtri

_MASK32 = 0xFFFFFFFF
_TWO_POW_MINUS_32 = 2.3283064365386963e-10  # the factor R's MT_genrand applies
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1), R's fixup() constant
_BIG = 134217728.0  # 2^27


def _mersenne_twister_key(seed: int) -> np.ndarray:
    """The 624 MT19937 state words R's ``set.seed(seed)`` leaves behind."""
    state = seed & _MASK32
    for _ in range(50):
        state = (69069 * state + 1) & _MASK32
    words = np.empty(625, dtype=np.uint32)
    for j in range(625):
        state = (69069 * state + 1) & _MASK32
        words[j] = state
    return words[1:]  # word 0 is the position counter R overwrites with 624


def _r_uniforms(seed: int, n: int) -> np.ndarray:
    bit_generator = np.random.MT19937()
    bit_generator.state = {
        "bit_generator": "MT19937",
        "state": {"key": _mersenne_twister_key(seed), "pos": 624},
    }
    u = bit_generator.random_raw(n).astype(np.float64) * _TWO_POW_MINUS_32
    u[u <= 0.0] = 0.5 * _I2_32M1
    u[(1.0 - u) <= 0.0] = 1.0 - 0.5 * _I2_32M1
    return u


@lru_cache(maxsize=16)
def _r_rnorm_cached(seed: int, n: int) -> np.ndarray:
    u = _r_uniforms(seed, 2 * n)
    combined = (np.floor(_BIG * u[0::2]) + u[1::2]) / _BIG
    draws = ndtri(combined)
    draws.setflags(write=False)
    return draws


def r_rnorm(n: int, seed: int) -> np.ndarray:
    """``n`` standard normal draws equal to R's ``set.seed(seed); rnorm(n)`` (read-only array)."""
    if n < 0:
        raise ValueError("n must be non-negative")
    return _r_rnorm_cached(int(seed), int(n))


def r_rmvnorm(n: int, sigma: np.ndarray, seed: int) -> np.ndarray:
    """``n`` rows equal to R's ``set.seed(seed); mvtnorm::rmvnorm(n, sigma = sigma)``.

    mvtnorm's default "eigen" method multiplies a row-major matrix of ``rnorm`` draws by the
    symmetric square root of ``sigma`` (negative eigenvalues clipped to zero). The symmetric root is
    unique for a positive semi-definite matrix, so LAPACK's eigenvector signs do not matter.
    """
    sigma = np.asarray(sigma, dtype=float)
    p = sigma.shape[0]
    values, vectors = np.linalg.eigh(sigma)
    root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    z = r_rnorm(n * p, seed).reshape(n, p)
    return z @ root

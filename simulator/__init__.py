"""Simulated enterprise owners drawn from the policy store: cases, an owner who answers questions in colloquial
Chinese, and the assistant's self-test against them. Imports `policy_db` only."""

from .cases import Case, case, generate, near_thresholds
from .owner import SimulatedOwner

__all__ = ["Case", "SimulatedOwner", "case", "generate", "near_thresholds"]

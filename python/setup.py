"""Makes the wheel a platform wheel (py3-none-<platform>): it carries a native axiomc binary.

scripts/wheel.sh sets AXIOMC_WHEEL_PLATFORM to the manylinux tag it derived from the binary
(scripts/manylinux.py, e.g. manylinux_2_34_x86_64); without it the tag is the build machine's
(linux_x86_64), which PyPI-style indexes refuse.
"""
import os

from setuptools import setup
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel


class BinaryDistribution(Distribution):
    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple:
        _, _, platform = super().get_tag()
        return "py3", "none", os.environ.get("AXIOMC_WHEEL_PLATFORM") or platform


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})

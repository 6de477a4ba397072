"""A synthetic city modelled on Düren, labelled synthetic everywhere: the demo's data and the
test suite's fixture."""

from monitor.demo.synthetic_city import SyntheticCity, build_city, write_city

__all__ = ["SyntheticCity", "build_city", "write_city"]

"""Imported last by the isolation fork server: moves everything it has loaded out of the
garbage collector's reach (gc.freeze). Without it, a collection in each forked child walks
every inherited object and, by touching their reference counts, copies all their memory pages:
half a second per child once a large module (OpenCV, or pytest in the test run) is loaded."""

import gc

gc.freeze()

from chuangwen.tests.matrix import page

ROUTES = [page("core:home")]

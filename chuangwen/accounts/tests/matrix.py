from chuangwen.tests.matrix import page

ROUTES = [
    page("accounts:login", anonymous=200, default=302),  # signed-in users are sent home
    page("accounts:logout", method="POST", anonymous=302, default=302),  # then to sign-in
    page("accounts:password_change"),
    page("accounts:otp"),  # no device yet: the enrolment page
    page("accounts:account"),
]

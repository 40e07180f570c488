"""Forms for registering, signing in, passwords and the second factor.

Fields check what a single answer must look like; rules that need the database (a taken
email, a wrong password, a guessable password) are the services' and come back as field errors.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from grants.accounts.operations.users import EMAIL_FORMAT, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from grants.core.fields import text_field
from grants.core.translatable import lazy_text as _l
from grants.core.validators import strip_text as _strip
from grants.core.widgets import PasswordInput, TextInput

PASSWORD_HINT = _l(
    "Use 10 characters or more. A good way to make a strong password is 3 or 4 unrelated words"
)


def _email_address(hint):
    """An email address someone gives for their account, to be written to."""
    return text_field(_l("Email address"), limit=MAX_EMAIL_LENGTH, named=_l("Email address"),
                      required=_l("Enter your email address"),
                      validators=[Email(_l(EMAIL_FORMAT))],
                      description=hint)


class RegisterForm(FlaskForm):
    name = text_field(_l("Full name"), limit=MAX_NAME_LENGTH, named=_l("Full name"),
                      required=_l("Enter your full name"))
    email = _email_address(_l("We will send you an email to confirm this address"))
    password = PasswordField(
        _l("Create a password"),
        description=PASSWORD_HINT,
        validators=[DataRequired(_l("Enter a password"))],
        widget=PasswordInput(),
    )
    confirm_password = PasswordField(
        _l("Confirm your password"),
        validators=[
            InputRequired(_l("Confirm your password")),
            EqualTo("password",
                    _l("The passwords do not match. Enter the same password twice")),
        ],
        widget=PasswordInput(),
    )


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address"))],
        widget=TextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password"))],
        widget=PasswordInput(),
    )
    # Where to go after signing in; checked in the view before it is followed.
    next = HiddenField()


def _new_password():
    """The new password of the change and reset forms. (A function, not a base class, so each
    form's fields keep the order they are written in, which the error summary follows.)"""
    return PasswordField(
        _l("New password"),
        description=PASSWORD_HINT,
        validators=[DataRequired(_l("Enter a new password"))],
        widget=PasswordInput(),
    )


def _confirm_password():
    return PasswordField(
        _l("Confirm your new password"),
        validators=[
            InputRequired(_l("Confirm your new password")),
            EqualTo("new_password",
                    _l("The passwords do not match. Enter the same new password twice")),
        ],
        widget=PasswordInput(),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password"))],
        widget=PasswordInput(),
    )
    new_password = _new_password()
    confirm_password = _confirm_password()


class ForgottenPasswordForm(FlaskForm):
    email = _email_address(_l("We will send a link to reset your password to this address "
                              "if it has an account"))


class ResetPasswordForm(FlaskForm):
    new_password = _new_password()
    confirm_password = _confirm_password()


ENTER_CODE = _l("Enter the 6-digit code from your authenticator app")


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("The 6-digit code your app shows now, for example 123456"),
        filters=[_strip],
        # Longer than any code is no code: the same message as none.
        validators=[DataRequired(ENTER_CODE), Length(max=20, message=ENTER_CODE)],
        widget=TextInput(),
    )

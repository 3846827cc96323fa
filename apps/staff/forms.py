from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from . import twofactor


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in, with the code from an authenticator app or a backup code."""

    otp_code = forms.CharField(
        label="Code",
        required=False,
        max_length=32,
        strip=True,
        help_text="From your authenticator app, or one of your backup codes. "
        "Leave empty if your account has no two-factor sign-in yet.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_missing": "Enter the code from your authenticator app, or a backup code.",
        "code_wrong": "That code is wrong or has expired. Enter the current code from your "
        "authenticator app, or an unused backup code.",
    }

    def clean(self):
        cleaned_data = super().clean()  # the password: nothing below runs without it
        user = self.get_user()
        if user is not None and twofactor.has_device(user):
            code = cleaned_data.get("otp_code", "")
            if not code:
                raise forms.ValidationError(
                    self.error_messages["code_missing"], code="code_missing"
                )
            device = twofactor.check_code(user, code, self.request)
            if device is None:
                raise forms.ValidationError(self.error_messages["code_wrong"], code="code_wrong")
            user.otp_device = device  # django-otp marks the session verified on sign-in
        return cleaned_data


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        label="Code shown in the app",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code does not match. Enter the code the app shows now; if it keeps "
                "failing, check that your phone's clock is set automatically.",
                code="code_wrong",
            )
        return code

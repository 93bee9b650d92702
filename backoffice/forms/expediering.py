"""The e-mail address of each recipient of each § (expediering)."""

from __future__ import annotations

from django import forms

from meetings import models as m


class AddressesForm(forms.Form):
    """One e-mail field per name under "Beslutet skickas till", § by §."""

    def __init__(self, *args, paragraphs: list[m.Paragraph], book: dict[tuple[int, str], str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[int, str]] = {}
        self.rows: list[tuple[m.Paragraph, list[forms.BoundField]]] = []
        for p in paragraphs:
            names = p.recipient_list
            for index, name in enumerate(names):
                field_name = f"email_{p.pk}_{index}"
                self.keys[field_name] = (p.pk, name)
                self.fields[field_name] = forms.EmailField(
                    label=name, required=False, initial=book.get((p.pk, name), ""), max_length=254
                )
            if names:
                self.rows.append((p, [self[f"email_{p.pk}_{i}"] for i in range(len(names))]))

    def addresses(self) -> dict[tuple[int, str], str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.keys.items()}

// Slovenian: strings are added here as they are translated; every string not
// here is shown in English.

import type { Dictionary } from "./en";

export const sl: Dictionary = {
  "nav.signOut": "Odjava",
  "signIn.title": "Prijava v LinkLab",
  "signIn.email": "E-poštni naslov",
  "signIn.password": "Geslo",
  "signIn.submit": "Prijava",
  "labs.title": "Vaši laboratoriji",
  "app.loading": "Nalaganje …",
};

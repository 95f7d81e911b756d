// Serbian: strings are added here as they are translated; every string not
// here is shown in English.

import type { Dictionary } from "./en";

export const sr: Dictionary = {
  "nav.signOut": "Odjavi se",
  "signIn.title": "Prijava na LinkLab",
  "signIn.email": "Adresa e-pošte",
  "signIn.password": "Lozinka",
  "signIn.submit": "Prijavi se",
  "labs.title": "Vaše laboratorije",
  "app.loading": "Učitavanje…",
};

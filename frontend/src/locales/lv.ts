// Latvian: strings are added here as they are translated; every string not
// here is shown in English.

import type { Dictionary } from "./en";

export const lv: Dictionary = {
  "nav.signOut": "Izrakstīties",
  "signIn.title": "Pieteikties LinkLab",
  "signIn.email": "E-pasta adrese",
  "signIn.password": "Parole",
  "signIn.submit": "Pieteikties",
  "labs.title": "Jūsu laboratorijas",
  "app.loading": "Ielādē…",
};

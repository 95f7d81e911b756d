// Swedish: strings are added here as they are translated; every string not
// here is shown in English.

import type { Dictionary } from "./en";

export const sv: Dictionary = {
  "nav.signOut": "Logga ut",
  "signIn.title": "Logga in på LinkLab",
  "signIn.email": "E-postadress",
  "signIn.password": "Lösenord",
  "signIn.submit": "Logga in",
  "labs.title": "Dina labb",
  "app.loading": "Laddar…",
};

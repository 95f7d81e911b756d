import type { ConnState } from "../collab/connection";
import { plural, t } from "../i18n";

/** statusText is what the connection indicator says. */
export function statusText(state: ConnState, unsent: number): string {
  switch (state) {
    case "online":
      return unsent > 0 ? plural("conn.onlineSaving", unsent) : t("conn.online");
    case "connecting":
      return t("conn.connecting");
    case "reconnecting":
      return unsent > 0 ? plural("conn.reconnectingUnsent", unsent) : t("conn.reconnecting");
    case "offline":
      return unsent > 0 ? plural("conn.offlineUnsent", unsent) : t("conn.offline");
  }
}

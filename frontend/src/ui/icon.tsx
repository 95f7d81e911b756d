import { h } from "preact";
import type { IconNode } from "lucide";

/** Icon draws one of lucide's icons (their shapes come from the library,
 * as data) at the text's colour. It is decoration: the control it sits in
 * says what it does in words, to everyone. */
export function Icon({ node, size = 20 }: { node: IconNode; size?: number }) {
  return (
    <svg
      class="icon"
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width={2}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {node.map(([tag, attrs], i) => h(tag, { key: i, ...attrs }))}
    </svg>
  );
}

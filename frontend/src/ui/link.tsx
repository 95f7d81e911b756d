import type { ComponentChildren } from "preact";
import type { App } from "../app";

/** Link is a real link (it opens in a new tab, and works as a deep link)
 * that navigates inside the app on a plain click. */
export function Link(props: { app: App; href: string; children: ComponentChildren; class?: string; current?: boolean }) {
  function click(ev: MouseEvent) {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    props.app.navigate(props.href);
  }
  return (
    <a href={props.href} class={props.class} onClick={click} aria-current={props.current ? "page" : undefined}>
      {props.children}
    </a>
  );
}

// Types of matkhau-widget.js. The verdict is the JSON contract of core/README.md.

export interface Check { code: string; ok: boolean }
export interface Message { code: string; message: string }
export interface Verdict {
  accepted: boolean;
  score: 0 | 1 | 2 | 3 | 4;
  guesses_log10: number;
  checks: Check[];
  problems: Message[];
  suggestions: Message[];
  policy: { id: string; digest: string };
}
/** The user's own data: passwords built from it are refused. */
export interface UserContext {
  username?: string; full_name?: string; email?: string; phone?: string;
  date_of_birth?: string; national_id?: string; social_insurance_code?: string;
  org_code?: string; extra?: string[];
}
export type Locale = 'vi' | 'en';
/** What a breach lookup found (the engine's exposure input). */
export interface Exposure { breached: boolean; reported?: boolean }

/**
 * Why the widget could not load, as `error` events, `onError` and `Controller.error` carry it.
 * The codes are stable: `policy.unreachable` (no answer from the host, or an HTTP error status,
 * then in `status`), `policy.timeout` (no answer within the timeout), `policy.invalid` (an answer
 * the engine cannot read), `engine.unavailable` (the WebAssembly engine did not load, e.g. a CSP
 * without 'wasm-unsafe-eval'), `engine.timeout`. The message is technical English, for logs; the
 * widget itself shows a notice in the user's language. The form is never blocked in that state:
 * the host checks on submit.
 */
export type WidgetErrorCode =
  | 'policy.unreachable' | 'policy.timeout' | 'policy.invalid' | 'engine.unavailable' | 'engine.timeout';
export interface WidgetError extends Error { code: WidgetErrorCode; status?: number }
/** Dispatched (not bubbling) on the `<matkhau-password-check>` element, or `attach`'s container. */
export type WidgetErrorEvent = CustomEvent<WidgetError>;
/**
 * The `matkhau-verdict` event, dispatched (bubbling) on the input after every evaluation; its
 * `detail` is null once the field has been cleared after a verdict (the "empty" state: the
 * meter, the checklist and the advice are reset, and the input is not marked invalid).
 */
export type VerdictEvent = CustomEvent<Verdict | null>;

export interface AttachOptions {
  /** Base URL of the matkhau host; default: the host serving the widget. */
  host?: string;
  locale?: Locale;
  context?: UserContext | (() => UserContext);
  /** Where to render; default: a new element right after the input. */
  container?: HTMLElement;
  /** Filled too by "suggest a strong password". */
  confirm?: HTMLInputElement;
  /** Called with each verdict, and with null when the field is cleared after one. */
  onVerdict?: (verdict: Verdict | null) => void;
  /** Called when loading fails (the same error as the container's `error` event). */
  onError?: (error: WidgetError) => void;
  /**
   * Milliseconds the host's policy (and the engine) may take to load before the widget shows
   * its "unavailable" notice and reports `policy.timeout`. Default 8000 (attribute `timeout`).
   */
  timeout?: number;
  /**
   * Make the input invalid (form validation) while the verdict rejects it. Default true. Never
   * while the widget is unavailable or the field is empty.
   */
  blockSubmit?: boolean;
  toggle?: boolean;
  suggest?: boolean;
  /** Screen against the host's breached-password corpus (k-anonymity range lookups). Default true. */
  breachCheck?: boolean;
}

export interface Controller {
  /** Resolves once loading has finished, whether it worked or not (`error` then says why). */
  ready: Promise<void>;
  /** The latest verdict; null before the first one, after the field was cleared, or when unavailable. */
  readonly verdict: Verdict | null;
  evaluate(): Verdict | null;
  suggest(): string | null;
  setContext(context: UserContext | (() => UserContext)): void;
  setLocale(locale: Locale): Promise<void>;
  destroy(): void;
  /** Why loading failed, or null. */
  error: WidgetError | null;
}

export interface PageChecker {
  /** With an `exposure` (from `screen`), the verdict has the host's `breach` check. */
  evaluate(password: string, context?: UserContext, exposure?: Exposure | null): Verdict;
  /** The verdict as the engine's JSON text (byte-identical to the plug-in's for the same input). */
  evaluateJson(password: string, contextJson?: string, exposure?: Exposure | null): string;
  /** Looks the password up in the host's breach corpus by its SHA-1's 5-hex prefix; null when it cannot. */
  screen(password: string): Promise<Exposure | null>;
  /** Whether the host has a corpus (as far as known) and the page has WebCrypto. */
  canScreen(): boolean;
  /** The checklist label of one check code. */
  label(code: string): string | null;
  checklist(password: string): Array<Check & { label: string }>;
  labels(): Record<string, string>;
  /** The host's check codes in the policy's order (the order the checklist keeps). */
  codes(): string[];
  generate(): string;
  policy(): { policy: Record<string, unknown>; digest: string };
  free(): void;
}

export function attach(input: HTMLInputElement, options?: AttachOptions): Controller;
/** Rejects with a `WidgetError` when the host or the engine cannot be loaded in `timeout` ms. */
export function createChecker(options?: { host?: string; locale?: Locale; timeout?: number }): Promise<PageChecker>;
export function loadEngine(): Promise<unknown>;
/** 'vi' or 'en' for a language tag ('vi-VN', 'en_US', …); Vietnamese for any other language. */
export function localeOf(tag: string | null | undefined): Locale;
/** Rejects with a `WidgetError` (`policy.unreachable`, `policy.timeout`); default timeout 8000 ms. */
export function loadPolicy(host?: string, options?: { timeout?: number }): Promise<string>;
export function breachLookup(password: string, host?: string): Promise<Exposure | null>;
export function canScreen(host?: string): boolean;
/**
 * `<matkhau-password-check for="INPUT-ID" host="…" locale="vi|en" confirm="CONFIRM-ID"
 * timeout="MS">`. Fires `error` (a `WidgetErrorEvent`) when it cannot load; its `data-state` is
 * `empty`, `pending`, `rejected`, `accepted` or `unavailable`.
 */
export class MatkhauPasswordCheck extends HTMLElement {
  controller: Controller | null;
}

declare global {
  interface HTMLElementTagNameMap { 'matkhau-password-check': MatkhauPasswordCheck }
  interface HTMLElementEventMap { 'matkhau-verdict': VerdictEvent }
}

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

export interface AttachOptions {
  /** Base URL of the matkhau host; default: the host serving the widget. */
  host?: string;
  locale?: Locale;
  context?: UserContext | (() => UserContext);
  /** Where to render; default: a new element right after the input. */
  container?: HTMLElement;
  /** Filled too by "suggest a strong password". */
  confirm?: HTMLInputElement;
  onVerdict?: (verdict: Verdict) => void;
  /** Make the input invalid (form validation) while the verdict rejects it. Default true. */
  blockSubmit?: boolean;
  toggle?: boolean;
  suggest?: boolean;
  /** Screen against the host's breached-password corpus (k-anonymity range lookups). Default true. */
  breachCheck?: boolean;
}

export interface Controller {
  /** Resolves once the engine and the host's policy are loaded. */
  ready: Promise<void>;
  readonly verdict: Verdict | null;
  evaluate(): Verdict | null;
  suggest(): string | null;
  setContext(context: UserContext | (() => UserContext)): void;
  setLocale(locale: Locale): Promise<void>;
  destroy(): void;
  /** Why loading failed, if it did. */
  error: unknown;
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
  generate(): string;
  policy(): { policy: Record<string, unknown>; digest: string };
  free(): void;
}

export function attach(input: HTMLInputElement, options?: AttachOptions): Controller;
export function createChecker(options?: { host?: string; locale?: Locale }): Promise<PageChecker>;
export function loadEngine(): Promise<unknown>;
/** 'vi' or 'en' for a language tag ('vi-VN', 'en_US', …); Vietnamese for any other language. */
export function localeOf(tag: string | null | undefined): Locale;
export function loadPolicy(host?: string): Promise<string>;
export function breachLookup(password: string, host?: string): Promise<Exposure | null>;
export function canScreen(host?: string): boolean;
export class MatkhauPasswordCheck extends HTMLElement {
  controller: Controller | null;
}

declare global {
  interface HTMLElementTagNameMap { 'matkhau-password-check': MatkhauPasswordCheck }
  interface HTMLElementEventMap { 'matkhau-verdict': CustomEvent<Verdict> }
}

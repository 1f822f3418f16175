// Types of matkhau-widget.js. The verdict is the JSON contract of DESIGN.md.

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
  evaluate(password: string, context?: UserContext): Verdict;
  /** The verdict as the engine's JSON text (byte-identical to the host's). */
  evaluateJson(password: string, contextJson?: string): string;
  checklist(password: string): Array<Check & { label: string }>;
  labels(): Record<string, string>;
  generate(): string;
  policy(): { policy: Record<string, unknown>; digest: string };
  free(): void;
}

export function attach(input: HTMLInputElement, options?: AttachOptions): Controller;
export function createChecker(options?: { host?: string; locale?: Locale }): Promise<PageChecker>;
export function loadEngine(): Promise<unknown>;
export function loadPolicy(host?: string): Promise<string>;
export class MatkhauPasswordCheck extends HTMLElement {
  controller: Controller | null;
}

declare global {
  interface HTMLElementTagNameMap { 'matkhau-password-check': MatkhauPasswordCheck }
  interface HTMLElementEventMap { 'matkhau-verdict': CustomEvent<Verdict> }
}

//! Every stable error code the host gives: in the API's `{"error": {"code"}}`, the commands'
//! errors (`… (code)`), the mail queue's last error and the metrics' outcome labels. `matkhau
//! check` adds its own `input.*` codes for lines it cannot read (`cli::check::LineError`). Each layer's error enum names its
//! code here; the HTTP layer maps each code to a status in one exhaustive `match`.

use crate::text_enum::text_enum;

text_enum! {
    /// A stable error code.
    pub enum Code {
        /// The body or a query is not JSON (or not one object).
        RequestJson = "request.json",
        /// The body is not UTF-8.
        RequestUtf8 = "request.utf8",
        /// An unknown field, a missing field, a wrong type or a bad value.
        RequestInvalid = "request.invalid",
        /// A body not declared `Content-Type: application/json`.
        RequestMediaType = "request.media_type",
        /// The body or one of its fields is too large.
        RequestTooLarge = "request.too_large",
        /// The request took longer than the request timeout.
        RequestTimeout = "request.timeout",
        /// Too many password attempts from this address or for this login key.
        RequestThrottled = "request.throttled",
        /// No such route.
        NotFound = "not_found",
        /// The route needs the bearer token.
        AuthRequired = "auth.required",
        /// Staff accounts and issued passwords need the admin token.
        AuthAdminOnly = "auth.admin_only",
        /// The username does not have 3–64 allowed characters.
        AccountInvalidUsername = "account.invalid_username",
        /// The e-mail address is not one mail address.
        AccountInvalidEmail = "account.invalid_email",
        /// The username is taken.
        AccountExists = "account.exists",
        /// No account has that username.
        AccountUnknown = "account.unknown",
        /// The account is revoked.
        AccountRevoked = "account.revoked",
        /// Wrong username or password.
        LoginFailed = "login.failed",
        /// The account is locked (`detail`: `reason`, `until`).
        LoginLocked = "login.locked",
        /// Too many failed logins from this address.
        LoginThrottled = "login.throttled",
        /// The temporary password has expired.
        LoginTemporaryExpired = "login.temporary_expired",
        /// The password changed during this login.
        LoginConflict = "login.conflict",
        /// The policy rejects the password (`detail`: the verdict).
        PasswordRejected = "password.rejected",
        /// The password is the current one or in the history (`detail`: `history_depth`).
        PasswordReused = "password.reused",
        /// The new password is a trivial variant of the current one.
        PasswordSimilar = "password.similar",
        /// Changed too recently to change again (`detail`: `wait_seconds`).
        PasswordTooSoon = "password.too_soon",
        /// The password was changed meanwhile.
        PasswordConflict = "password.conflict",
        /// A password-reset code that is unknown, used, expired or superseded.
        ResetInvalid = "reset.invalid",
        /// The one-time code (or recovery code) at the second login step is wrong or used.
        LoginOtpFailed = "login.otp_failed",
        /// The login ticket of the second step is unknown, used or expired: log in again.
        LoginTicketInvalid = "login.ticket_invalid",
        /// The code that confirms an enrolment does not match the new secret.
        OtpInvalid = "otp.invalid",
        /// The account already has a confirmed one-time-code app (an administrator resets it).
        OtpEnrolled = "otp.enrolled",
        /// The account has no enrolment to confirm.
        OtpNotEnrolled = "otp.not_enrolled",
        /// A RADIUS request refused (wrong password or code, locked, revoked, must change).
        RadiusRejected = "radius.rejected",
        /// A recipient is not a mail address.
        MailAddress = "mail.address",
        /// A message could not be built.
        MailBuild = "mail.build",
        /// The mail server refused or failed a delivery.
        MailSend = "mail.send",
        /// A delivery ran past its time limit.
        MailTimeout = "mail.timeout",
        /// A queued message's sealed body does not open with this service's key.
        MailSealed = "mail.sealed",
        /// A sender died while delivering a message: whether it arrived is unknown, so a
        /// notice is not sent again.
        MailInterrupted = "mail.interrupted",
        /// Every hashing worker is busy.
        HashBusy = "hash.busy",
        /// Hashing failed.
        HashFailed = "hash.failed",
        /// The database cannot be reached.
        StorageUnavailable = "storage.unavailable",
        /// The database's schema cannot be brought to this version.
        StorageMigration = "storage.migration",
        /// A row changed or appeared meanwhile.
        StorageConflict = "storage.conflict",
        /// A query failed.
        StorageQuery = "storage.query",
        /// The database cannot be written (a full disk, a read-only file, an I/O error).
        StorageWrite = "storage.write",
        /// `--database` is not a database URL.
        StorageUrl = "storage.url",
        /// A stored value is not one this version can read.
        StorageCorrupt = "storage.corrupt",
        /// A request to the plug-in is over its size limit.
        PluginRequestTooLarge = "plugin.request_too_large",
        /// A plug-in call ran past its deadline.
        PluginTimeout = "plugin.timeout",
        /// A plug-in call needed more memory than allowed.
        PluginMemory = "plugin.memory",
        /// The plug-in trapped.
        PluginTrap = "plugin.trap",
        /// The plug-in's answer is not what the ABI says.
        PluginBadResponse = "plugin.bad_response",
        /// Every plug-in instance stayed busy for the whole call timeout.
        PluginBusy = "plugin.busy",
        /// The plug-in refused a request the host built.
        PluginRefused = "plugin.refused",
        /// The plug-in file cannot be read.
        PluginRead = "plugin.read",
        /// The plug-in file is over the size limit.
        PluginTooLarge = "plugin.too_large",
        /// The plug-in's SHA-256 is not the pinned one.
        PluginDigestMismatch = "plugin.digest_mismatch",
        /// Not a WebAssembly module that compiles.
        PluginInvalidWasm = "plugin.invalid_wasm",
        /// The plug-in imports what the host does not provide.
        PluginImports = "plugin.imports",
        /// The plug-in lacks an export the ABI requires.
        PluginExports = "plugin.exports",
        /// The plug-in speaks another ABI version.
        PluginAbiVersion = "plugin.abi_version",
        /// The plug-in's initialisation failed.
        PluginInit = "plugin.init",
        /// The plug-in failed its known-answer checks.
        PluginSelfCheck = "plugin.self_check",
        /// The policy file has a bad field.
        PolicyInvalid = "policy.invalid",
        /// A range prefix is not 5 hexadecimal digits.
        BreachBadPrefix = "breach.bad_prefix",
        /// No breach corpus with ranges is configured.
        BreachUnavailable = "breach.unavailable",
        /// The breach corpus cannot be read or written.
        BreachIo = "breach.io",
        /// A breach corpus or input file is damaged or not in a known format.
        BreachFormat = "breach.format",
        /// A breach import found no hashes.
        BreachEmpty = "breach.empty",
        /// The corpus was imported without the sorted hashes.
        BreachNoRanges = "breach.no_ranges",
        /// The breach filter could not be built.
        BreachFilter = "breach.filter",
        /// A breach input is too large.
        BreachTooLarge = "breach.too_large",
        /// An account changed while a leak report was imported.
        LeakConflict = "leak.conflict",
        /// The secret file cannot be read or written, or others may read it.
        SecretFile = "secret.file",
        /// The secret file is not the one the database was used with.
        SecretMismatch = "secret.mismatch",
        /// A fault of the host itself.
        Internal = "internal",
    }
}

/// An error with a stable [`Code`].
pub trait Coded: std::fmt::Display {
    /// Its code.
    fn code(&self) -> Code;

    /// For people: the message and its code, `… (storage.unavailable)`.
    fn describe(&self) -> String {
        format!("{self} ({})", self.code())
    }
}

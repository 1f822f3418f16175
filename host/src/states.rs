//! The states an account and its password can be in, and who acts on them. Each is stored and
//! answered as its text (the same in SQLite and PostgreSQL).

use crate::text_enum::text_enum;

text_enum! {
    /// Who an account is for.
    pub enum AccountKind {
        /// A citizen (cá nhân).
        Citizen = "citizen",
        /// A business, health facility or other unit (đơn vị): locked after the policy's idle period.
        Organisation = "organisation",
        /// A BHXH staff account: created by an administrator only.
        Staff = "staff",
    }
}

text_enum! {
    /// Whether an account may log in.
    pub enum AccountStatus {
        /// It may.
        Active = "active",
        /// Locked until an administrator unlocks it, or until its leaked password is reset.
        Locked = "locked",
        /// Revoked for good.
        Revoked = "revoked",
    }
}

text_enum! {
    /// Why an account is locked or revoked (stored beside its status).
    pub enum StatusReason {
        /// An administrator locked it.
        Admin = "admin",
        /// An organisation account was idle for the policy's period.
        Inactivity = "inactivity",
        /// Its password leaked and still worked: locked until the reset.
        Leaked = "leaked",
        /// An administrator revoked it.
        Revoked = "revoked",
        /// Its term ended (`valid_until`): revoked by the sweep.
        Ended = "ended",
    }
}

text_enum! {
    /// Why a login is refused as locked (`login.locked`'s `detail.reason`).
    pub enum LockReason {
        /// Too many distinct wrong passwords in the policy's window.
        Failures = "failures",
        /// An administrator locked it.
        Admin = "admin",
        /// Idle for the policy's period.
        Inactivity = "inactivity",
        /// Its password leaked.
        Leaked = "leaked",
        /// Revoked.
        Revoked = "revoked",
        /// Its term ended (`valid_until`).
        Ended = "ended",
    }
}

impl From<StatusReason> for LockReason {
    fn from(r: StatusReason) -> LockReason {
        match r {
            StatusReason::Admin => LockReason::Admin,
            StatusReason::Inactivity => LockReason::Inactivity,
            StatusReason::Leaked => LockReason::Leaked,
            StatusReason::Revoked => LockReason::Revoked,
            StatusReason::Ended => LockReason::Ended,
        }
    }
}

text_enum! {
    /// Where the current password came from.
    pub enum PasswordOrigin {
        /// The user chose it.
        Chosen = "chosen",
        /// A temporary password mailed by the host (re-issue): changed at the next login.
        Temporary = "temporary",
        /// The first password of an account an administrator created: changed at the first login.
        Issued = "issued",
    }
}

text_enum! {
    /// Why the password must be changed before the user goes on.
    pub enum MustChange {
        /// The policy now rejects it: a temporary password was mailed.
        Weak = "weak",
        /// Older than the policy's maximum age.
        Expired = "expired",
        /// A temporary password is in use.
        Temporary = "temporary",
        /// The first login with an issued password.
        FirstLogin = "first_login",
        /// The account was in a leak report.
        Leaked = "leaked",
        /// The password is in a breach corpus or a leak report.
        Breached = "breached",
        /// An administrator requires it.
        Admin = "admin",
        /// The policy requires a one-time-code app for this kind of account and none is
        /// enrolled yet: enrol (`POST /v1/accounts/{username}/otp`) before going on.
        OtpEnrol = "otp_enrol",
    }
}

text_enum! {
    /// Who did something, in the audit log.
    pub enum Actor {
        /// The account's user (or someone trying to log in as them).
        User = "user",
        /// An administrator (the admin token, or the command line).
        Admin = "admin",
        /// The portal's back end (activity reports).
        Portal = "portal",
        /// The periodic sweep.
        Sweep = "sweep",
        /// The host itself (a lockout).
        System = "system",
    }
}

text_enum! {
    /// What the leak intake did with one report entry.
    pub enum LeakOutcome {
        /// The leaked password still worked: the account is locked until its reset, and a
        /// temporary password was mailed.
        LockedReset = "locked_reset",
        /// The leaked password no longer worked: the account was reset anyway.
        Reset = "reset",
        /// No password was reported: the account was reset.
        ResetUnverified = "reset_unverified",
        /// No account has that username (reported and audited, not an error).
        UnknownUser = "unknown_user",
        /// The account is revoked: nothing to do.
        Revoked = "revoked",
        /// An earlier import, or an earlier line, did it.
        AlreadyHandled = "already_handled",
        /// Earlier versions only (the record of an entry they handled): locked, and the
        /// temporary password could not be mailed. Resets now queue their mail with the change.
        LockedMailFailed = "locked_mail_failed",
        /// Earlier versions only: the temporary password could not be mailed, nothing changed.
        MailFailed = "mail_failed",
        /// The password changed during the import: nothing changed; import again.
        Conflict = "conflict",
        /// An error, named by its code in `detail`: nothing changed; import again.
        Failed = "failed",
        /// The line is not an entry (its reason in `detail`).
        Malformed = "malformed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip() {
        for kind in AccountKind::ALL {
            assert_eq!(kind.as_str().parse::<AccountKind>(), Ok(*kind));
        }
        assert_eq!(MustChange::FirstLogin.as_str(), "first_login");
        assert_eq!(
            serde_json::to_string(&MustChange::FirstLogin).unwrap(),
            "\"first_login\""
        );
        assert!("Active".parse::<AccountStatus>().is_err());
    }
}

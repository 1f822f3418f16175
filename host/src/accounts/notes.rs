//! What the host tells users about their account at login, in Vietnamese or English. The codes
//! are stable; clients may translate them themselves. Numbers come from the policy.

use crate::states::MustChange;
use crate::text_enum::text_enum;
use matkhau_abi::{Locale, Policy};
use serde::Serialize;

text_enum! {
    /// The code of a note.
    pub enum NoteCode {
        /// The policy rejects the password: a temporary one was mailed.
        Weak = "must_change.weak",
        /// The policy rejects the password; the temporary one that replaced it is queued for
        /// mail (the mail server did not take it yet).
        WeakNotSent = "must_change.weak_not_sent",
        /// Older than the policy's maximum age.
        Expired = "must_change.expired",
        /// A temporary password is in use.
        Temporary = "must_change.temporary",
        /// The first login with an issued password.
        FirstLogin = "must_change.first_login",
        /// The account's password leaked.
        Leaked = "must_change.leaked",
        /// The password is in the lists attackers try.
        Breached = "must_change.breached",
        /// An administrator requires a change.
        Admin = "must_change.admin",
        /// The password expires soon.
        Expiring = "password.expiring",
        /// This kind of account must enrol a one-time-code app before going on.
        OtpEnrol = "must_change.otp_enrol",
        /// The password was right; the one-time code from the app is asked next.
        OtpRequired = "otp.required",
    }
}

/// A coded, localised message.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Note {
    /// Stable code.
    pub code: NoteCode,
    /// The message in the requested language.
    pub message: String,
}

impl Note {
    /// Why the password must be changed.
    pub fn must_change(reason: MustChange, locale: Locale, policy: &Policy) -> Note {
        let code = match reason {
            MustChange::Weak => NoteCode::Weak,
            MustChange::Expired => NoteCode::Expired,
            MustChange::Temporary => NoteCode::Temporary,
            MustChange::FirstLogin => NoteCode::FirstLogin,
            MustChange::Leaked => NoteCode::Leaked,
            MustChange::Breached => NoteCode::Breached,
            MustChange::Admin => NoteCode::Admin,
            MustChange::OtpEnrol => NoteCode::OtpEnrol,
        };
        Note::new(code, locale, policy, 0)
    }

    /// The password expires in `days_left` days.
    pub fn expiring(days_left: i64, locale: Locale, policy: &Policy) -> Note {
        Note::new(NoteCode::Expiring, locale, policy, days_left)
    }

    /// `code` in `locale`; `days` is the days left of [`NoteCode::Expiring`].
    pub fn new(code: NoteCode, locale: Locale, policy: &Policy, days: i64) -> Note {
        let max_age = locale.days(policy.max_age_days);
        let message = match (code, locale) {
            (NoteCode::Weak, Locale::Vi) => "Mật khẩu của bạn không còn đáp ứng chính sách mật khẩu. Một mật khẩu tạm thời đã được gửi đến e-mail đăng ký; hãy đăng nhập bằng mật khẩu đó và đặt mật khẩu mới.".to_string(),
            (NoteCode::Weak, Locale::En) => "Your password no longer meets the password policy. A temporary password was sent to your registered e-mail; log in with it and set a new password.".to_string(),
            (NoteCode::WeakNotSent, Locale::Vi) => "Mật khẩu của bạn không còn đáp ứng chính sách mật khẩu và đã được thay bằng một mật khẩu tạm thời. Thư chứa mật khẩu tạm thời chưa gửi đi được; hệ thống sẽ tự gửi lại đến e-mail đăng ký. Khi nhận được thư, hãy đăng nhập bằng mật khẩu đó và đặt mật khẩu mới.".to_string(),
            (NoteCode::WeakNotSent, Locale::En) => "Your password no longer meets the password policy and was replaced with a temporary password. Its mail could not be sent yet; it will be sent again to your registered e-mail. When it arrives, log in with it and set a new password.".to_string(),
            (NoteCode::Expired, Locale::Vi) => format!("Mật khẩu đã quá {max_age} chưa thay đổi. Bạn phải đổi mật khẩu để tiếp tục."),
            (NoteCode::Expired, Locale::En) => format!("Your password is older than {max_age}. You must change it to continue."),
            (NoteCode::Temporary, Locale::Vi) => "Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu mới ngay.".to_string(),
            (NoteCode::Temporary, Locale::En) => "You are using a temporary password. Set a new password now.".to_string(),
            (NoteCode::FirstLogin, Locale::Vi) => "Đây là lần đăng nhập đầu tiên bằng mật khẩu được cấp. Bạn phải đổi mật khẩu.".to_string(),
            (NoteCode::FirstLogin, Locale::En) => "This is your first login with an issued password. You must change it.".to_string(),
            (NoteCode::Leaked, Locale::Vi) => "Mật khẩu của tài khoản này đã bị lộ. Bạn phải đổi mật khẩu ngay.".to_string(),
            (NoteCode::Leaked, Locale::En) => "This account's password has leaked. You must change it now.".to_string(),
            (NoteCode::Breached, Locale::Vi) => "Mật khẩu của bạn có trong dữ liệu mật khẩu bị lộ mà kẻ gian dùng để dò mật khẩu. Bạn phải đổi mật khẩu ngay.".to_string(),
            (NoteCode::Breached, Locale::En) => "Your password is in the leaked-password lists attackers try. You must change it now.".to_string(),
            (NoteCode::Admin, Locale::Vi) => "Quản trị viên yêu cầu bạn đổi mật khẩu.".to_string(),
            (NoteCode::Admin, Locale::En) => "An administrator requires you to change your password.".to_string(),
            (NoteCode::Expiring, Locale::Vi) => format!("Mật khẩu sẽ hết hạn sau {days} ngày. Hãy đổi mật khẩu sớm."),
            (NoteCode::Expiring, Locale::En) => format!("Your password expires in {days} days. Change it soon."),
            (NoteCode::OtpEnrol, Locale::Vi) => "Tài khoản này phải dùng mã xác thực một lần (OTP). Hãy cài ứng dụng xác thực trên điện thoại và đăng ký trước khi tiếp tục.".to_string(),
            (NoteCode::OtpEnrol, Locale::En) => "This account must use one-time codes (OTP). Install an authenticator app on your phone and enrol it before going on.".to_string(),
            (NoteCode::OtpRequired, Locale::Vi) => "Nhập mã 6 chữ số trong ứng dụng xác thực (hoặc một mã khôi phục).".to_string(),
            (NoteCode::OtpRequired, Locale::En) => "Enter the 6-digit code from your authenticator app (or a recovery code).".to_string(),
        };
        Note { code, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_in_both_languages_with_the_policys_numbers() {
        let mut policy = Policy::default();
        for code in NoteCode::ALL {
            let (vi, en) = (
                Note::new(*code, Locale::Vi, &policy, 3),
                Note::new(*code, Locale::En, &policy, 3),
            );
            assert_ne!(vi.message, en.message, "{code}");
        }
        let expired = |p: &Policy| Note::must_change(MustChange::Expired, Locale::Vi, p).message;
        assert!(expired(&policy).contains("6 tháng"));
        policy.max_age_days = 90;
        assert!(expired(&policy).contains("3 tháng"));
    }
}

//! What the host tells users about their account, in Vietnamese or English. The codes are stable;
//! clients may translate them themselves.

use serde::Serialize;

/// A coded, localised message.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Note {
    /// Stable code, e.g. `must_change.expired`.
    pub code: String,
    /// The message in the requested language.
    pub message: String,
}

/// The message for `code` in `locale` (`vi` unless `en`).
pub fn note(code: &str, locale: &str, days: Option<i64>) -> Note {
    let en = locale == "en";
    let d = days.unwrap_or(0);
    let message = match (code, en) {
        ("must_change.weak", false) => "Mật khẩu của bạn không còn đáp ứng chính sách mật khẩu. Một mật khẩu tạm thời đã được gửi đến e-mail đăng ký; hãy đăng nhập bằng mật khẩu đó và đặt mật khẩu mới.".to_string(),
        ("must_change.weak", true) => "Your password no longer meets the password policy. A temporary password was sent to your registered e-mail; log in with it and set a new password.".to_string(),
        ("must_change.weak_not_sent", false) => "Mật khẩu của bạn không còn đáp ứng chính sách mật khẩu, nhưng chưa gửi được mật khẩu tạm thời qua e-mail. Vui lòng thử đăng nhập lại sau.".to_string(),
        ("must_change.weak_not_sent", true) => "Your password no longer meets the password policy, but the temporary password could not be e-mailed yet. Please log in again later.".to_string(),
        ("must_change.expired", false) => "Mật khẩu đã quá 6 tháng chưa thay đổi. Bạn phải đổi mật khẩu để tiếp tục.".to_string(),
        ("must_change.expired", true) => "Your password is older than 6 months. You must change it to continue.".to_string(),
        ("must_change.temporary", false) => "Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu mới ngay.".to_string(),
        ("must_change.temporary", true) => "You are using a temporary password. Set a new password now.".to_string(),
        ("must_change.first_login", false) => "Đây là lần đăng nhập đầu tiên bằng mật khẩu được cấp. Bạn phải đổi mật khẩu.".to_string(),
        ("must_change.first_login", true) => "This is your first login with an issued password. You must change it.".to_string(),
        ("must_change.leaked", false) => "Mật khẩu của tài khoản này đã bị lộ. Bạn phải đổi mật khẩu ngay.".to_string(),
        ("must_change.leaked", true) => "This account's password has leaked. You must change it now.".to_string(),
        ("must_change.breached", false) => "Mật khẩu của bạn có trong dữ liệu mật khẩu bị lộ mà kẻ gian dùng để dò mật khẩu. Bạn phải đổi mật khẩu ngay.".to_string(),
        ("must_change.breached", true) => "Your password is in the leaked-password lists attackers try. You must change it now.".to_string(),
        ("must_change.admin", false) => "Quản trị viên yêu cầu bạn đổi mật khẩu.".to_string(),
        ("must_change.admin", true) => "An administrator requires you to change your password.".to_string(),
        ("password.expiring", false) => format!("Mật khẩu sẽ hết hạn sau {d} ngày. Hãy đổi mật khẩu sớm."),
        ("password.expiring", true) => format!("Your password expires in {d} days. Change it soon."),
        (_, false) => "Bạn phải đổi mật khẩu.".to_string(),
        (_, true) => "You must change your password.".to_string(),
    };
    Note {
        code: code.to_string(),
        message,
    }
}

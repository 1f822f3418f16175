//! The messages users receive: Vietnamese first, with an English line, UTF-8.

use super::Mail;
use matkhau_abi::Locale;

const SIGNATURE: &str = "Bảo hiểm xã hội Việt Nam — Cổng dịch vụ công\n\
Vietnam Social Security — public-service portal\n\
Thư này được gửi tự động, vui lòng không trả lời. (Automatic message, please do not reply.)";

fn when(at: i64) -> String {
    // Vietnam time (UTC+7), the way the portal shows it.
    match time::OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
            format!(
                "{:02}:{:02} {:02}/{:02}/{} (UTC+7)",
                t.hour(),
                t.minute(),
                t.day(),
                u8::from(t.month()),
                t.year()
            )
        }
        Err(_) => at.to_string(),
    }
}

/// Why a temporary password was issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueReason {
    /// The login password no longer meets the policy.
    Weak,
    /// An administrator re-issued it.
    Admin,
    /// The account's password leaked.
    Leaked,
    /// A new account created by an administrator.
    NewAccount,
}

/// The mail that carries a temporary password (sent directly, never queued).
pub fn temporary_password(
    to: &str,
    username: &str,
    password: &str,
    valid_until: i64,
    reason: IssueReason,
) -> Mail {
    let (why_vi, why_en) = match reason {
        IssueReason::Weak => (
            "Mật khẩu đăng nhập của bạn không còn đáp ứng chính sách mật khẩu (quá yếu), nên đã được thay bằng mật khẩu tạm thời dưới đây.",
            "Your login password no longer meets the password policy (too weak), so it was replaced by the temporary password below.",
        ),
        IssueReason::Admin => (
            "Quản trị viên đã cấp lại mật khẩu cho tài khoản của bạn.",
            "An administrator re-issued the password of your account.",
        ),
        IssueReason::Leaked => (
            "Mật khẩu của tài khoản bạn đã bị lộ và đã được thay bằng mật khẩu tạm thời dưới đây.",
            "Your account's password leaked and was replaced by the temporary password below.",
        ),
        IssueReason::NewAccount => (
            "Tài khoản của bạn đã được tạo. Mật khẩu đăng nhập lần đầu như sau.",
            "Your account was created. Your first-login password is below.",
        ),
    };
    Mail {
        to: to.to_string(),
        subject: "Mật khẩu tạm thời cho tài khoản BHXH (Temporary password)".to_string(),
        body: format!(
            "Kính gửi {username},\n\n{why_vi}\n\n\
             Tên đăng nhập: {username}\n\
             Mật khẩu tạm thời: {password}\n\n\
             Mật khẩu này có hiệu lực đến {until}. Bạn phải đổi mật khẩu ngay khi đăng nhập.\n\
             Không chia sẻ mật khẩu với bất kỳ ai, kể cả người tự xưng là cán bộ BHXH.\n\n\
             English: {why_en} It is valid until {until}; you must change it when you log in.\n\n\
             {SIGNATURE}\n",
            until = when(valid_until),
        ),
    }
}

/// The code (and, when the portal's address is configured, the link) of a password reset.
/// The code is a secret: the mail is queued sealed.
pub fn password_reset_code(
    to: &str,
    username: &str,
    code: &str,
    link: Option<&str>,
    valid_until: i64,
) -> Mail {
    let (link_vi, link_en) = match link {
        Some(l) => (
            format!("Mở liên kết sau để đặt mật khẩu mới:\n{l}\n\nHoặc nhập mã này"),
            format!("Open {l} or enter the code"),
        ),
        None => ("Nhập mã này".to_string(), "Enter the code".to_string()),
    };
    Mail {
        to: to.to_string(),
        subject: "Đặt lại mật khẩu tài khoản BHXH (Password reset)".to_string(),
        body: format!(
            "Kính gửi {username},\n\n\
             Ai đó (có thể là bạn) đã yêu cầu đặt lại mật khẩu cho tài khoản {username}.\n\n\
             {link_vi} tại trang \"Quên mật khẩu?\" của Cổng dịch vụ công:\n\n\
             Mã đặt lại: {code}\n\n\
             Mã chỉ dùng được một lần, đến {until}. Nếu bạn không yêu cầu, hãy bỏ qua thư này: \
             mật khẩu hiện tại vẫn giữ nguyên. Không chia sẻ mã với bất kỳ ai, kể cả người tự xưng \
             là cán bộ BHXH.\n\n\
             English: someone (perhaps you) asked to reset the password of {username}. {link_en} \
             {code} on the portal's \"Forgot password?\" page, once, until {until}. If it was not \
             you, ignore this message: your password stays as it is.\n\n{SIGNATURE}\n",
            until = when(valid_until),
        ),
    }
}

/// Notice after a password was reset with a mailed code.
pub fn password_reset_done(to: &str, username: &str, at: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: "Mật khẩu tài khoản BHXH đã được đặt lại (Password reset)".to_string(),
        body: format!(
            "Kính gửi {username},\n\n\
             Mật khẩu tài khoản {username} đã được đặt lại bằng mã gửi tới địa chỉ thư này lúc {at}.\n\
             Nếu không phải bạn thực hiện, hãy liên hệ ngay với cơ quan BHXH để khóa tài khoản.\n\n\
             English: the password of {username} was reset with a code sent to this address at {at}. \
             If this was not you, contact Vietnam Social Security at once.\n\n{SIGNATURE}\n",
            at = when(at),
        ),
    }
}

/// Notice after every change of a password.
pub fn password_changed(to: &str, username: &str, at: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: "Mật khẩu tài khoản BHXH đã được thay đổi (Password changed)".to_string(),
        body: format!(
            "Kính gửi {username},\n\n\
             Mật khẩu tài khoản {username} đã được thay đổi lúc {at}.\n\
             Nếu không phải bạn thực hiện, hãy liên hệ ngay với cơ quan BHXH để khóa tài khoản.\n\n\
             English: the password of {username} was changed at {at}. If this was not you, contact \
             Vietnam Social Security at once.\n\n{SIGNATURE}\n",
            at = when(at),
        ),
    }
}

/// Warning that the password expires soon (regulation: a change every 6 months, the policy's
/// `max_age_days`).
pub fn expiry_warning(
    to: &str,
    username: &str,
    days_left: i64,
    expires_at: i64,
    max_age_days: u32,
) -> Mail {
    Mail {
        to: to.to_string(),
        subject: format!(
            "Mật khẩu tài khoản BHXH sẽ hết hạn sau {days_left} ngày (Password expires in {days_left} days)"
        ),
        body: format!(
            "Kính gửi {username},\n\n\
             Mật khẩu tài khoản {username} sẽ hết hạn vào {at} (còn {days_left} ngày). \
             Theo quy định, mật khẩu phải được thay đổi ít nhất {every_vi} một lần. \
             Hãy đăng nhập và đổi mật khẩu trước thời hạn.\n\n\
             English: the password of {username} expires at {at} ({days_left} days left); passwords \
             must be changed at least every {every_en}.\n\n{SIGNATURE}\n",
            at = when(expires_at),
            every_vi = Locale::Vi.days(max_age_days),
            every_en = Locale::En.days(max_age_days),
        ),
    }
}

/// Notice that a one-time-code app was enrolled for the account.
pub fn otp_enrolled(to: &str, username: &str, at: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: "Đã bật xác thực hai lớp (OTP) cho tài khoản BHXH (One-time codes enabled)"
            .to_string(),
        body: format!(
            "Kính gửi {username},\n\n\
             Tài khoản {username} đã được đăng ký ứng dụng xác thực (mã OTP) lúc {at}. Từ nay, mỗi \
             lần đăng nhập cần cả mật khẩu và mã 6 chữ số trong ứng dụng. Hãy cất giữ các mã khôi \
             phục ở nơi an toàn.\n\
             Nếu không phải bạn thực hiện, hãy liên hệ ngay với cơ quan BHXH để khóa tài khoản.\n\n\
             English: an authenticator app (one-time codes) was enrolled for {username} at {at}; \
             every login now needs the password and the app's 6-digit code. Keep the recovery codes \
             somewhere safe. If this was not you, contact Vietnam Social Security at once.\n\n\
             {SIGNATURE}\n",
            at = when(at),
        ),
    }
}

/// Notice that an administrator removed the account's one-time-code app.
pub fn otp_reset(to: &str, username: &str, at: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: "Xác thực hai lớp (OTP) của tài khoản BHXH đã được đặt lại (One-time codes reset)"
            .to_string(),
        body: format!(
            "Kính gửi {username},\n\n\
             Quản trị viên đã xóa ứng dụng xác thực (mã OTP) và các mã khôi phục của tài khoản \
             {username} lúc {at}. Ở lần đăng nhập tới, hãy đăng ký lại ứng dụng xác thực.\n\
             Nếu bạn không yêu cầu việc này, hãy liên hệ ngay với cơ quan BHXH.\n\n\
             English: an administrator removed the authenticator app and recovery codes of \
             {username} at {at}; enrol the app again at your next login. If you did not ask for \
             this, contact Vietnam Social Security at once.\n\n{SIGNATURE}\n",
            at = when(at),
        ),
    }
}

/// Notice that an account was revoked at the end of its term (`valid_until`).
pub fn account_ended(to: &str, username: &str, ended_at: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: format!("Tài khoản BHXH {username} đã hết thời hạn sử dụng (Account term ended)"),
        body: format!(
            "Kính gửi {username},\n\n\
             Tài khoản {username} đã hết thời hạn sử dụng lúc {at} và đã bị thu hồi theo quy định \
             (tài khoản không còn sử dụng phải được thu hồi). Nếu tài khoản vẫn cần dùng, hãy liên \
             hệ bộ phận quản trị để được cấp lại.\n\n\
             English: the term of account {username} ended at {at} and the account was revoked. If \
             it is still needed, contact the administrators.\n\n{SIGNATURE}\n",
            at = when(ended_at),
        ),
    }
}

/// Notice that an organisation account was locked for inactivity.
pub fn inactivity_lock(to: &str, username: &str, idle_days: i64) -> Mail {
    Mail {
        to: to.to_string(),
        subject: "Tài khoản BHXH của đơn vị đã bị tạm khóa (Account locked for inactivity)"
            .to_string(),
        body: format!(
            "Kính gửi đơn vị {username},\n\n\
             Tài khoản {username} không phát sinh giao dịch trong {idle_days} ngày nên đã bị tạm khóa \
             theo quy định. Vui lòng liên hệ cơ quan BHXH để mở khóa.\n\n\
             English: the organisation account {username} had no activity for {idle_days} days and was \
             locked; contact Vietnam Social Security to unlock it.\n\n{SIGNATURE}\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english() {
        let m = temporary_password(
            "a@example.vn",
            "annv",
            "Xy7#pq",
            1_780_000_000,
            IssueReason::Weak,
        );
        assert!(m.body.contains("Mật khẩu tạm thời: Xy7#pq"));
        assert!(m.body.contains("English:"));
        assert!(format!("{m:?}").find("Xy7#pq").is_none());
        let w = expiry_warning("a@example.vn", "annv", 5, 1_780_000_000, 180);
        assert!(w.subject.contains("5 ngày"));
        assert!(w.body.contains("ít nhất 6 tháng một lần"), "{}", w.body);
        let w = expiry_warning("a@example.vn", "annv", 5, 1_780_000_000, 90);
        assert!(w.body.contains("every 3 months"), "{}", w.body);
        assert_eq!(when(0), "07:00 01/01/1970 (UTC+7)");
    }
}

//! The pages' own words, Vietnamese first. Verdict messages come from core in the same locale.

use matkhau_core::{Locale, Policy};

/// [`t`] with the policy's numbers in it (`{min_length}`, `{max_age}`); the regulation's while
/// the host's policy is not loaded.
pub fn tp(locale: Locale, key: &str, policy: Option<&Policy>) -> String {
    let regulation = Policy::default();
    let p = policy.unwrap_or(&regulation);
    t(locale, key)
        .replace("{min_length}", &p.min_length.to_string())
        .replace("{max_age}", &locale.days(p.max_age_days))
}

/// The text of `key` in `locale`; `"?"` for an unknown key (callers looking up a host's code
/// fall back to the host's own message on it).
pub fn t(locale: Locale, key: &str) -> &'static str {
    let (vi, en) = match key {
        "site" => ("Cổng dịch vụ công Bảo hiểm xã hội Việt Nam", "Vietnam Social Security public-service portal"),
        "switch" => ("English", "Tiếng Việt"),
        "switch_label" => ("Switch to English", "Chuyển sang tiếng Việt"),
        "nav" => ("Tài khoản", "Account"),
        "login" => ("Đăng nhập", "Log in"),
        "signup" => ("Đăng ký", "Sign up"),
        "change" => ("Đổi mật khẩu", "Change password"),
        "username" => ("Tên đăng nhập", "Username"),
        "full_name" => ("Họ và tên", "Full name"),
        "email" => ("Thư điện tử", "E-mail"),
        "phone" => ("Số điện thoại (không bắt buộc)", "Phone number (optional)"),
        "dob" => ("Ngày sinh (không bắt buộc)", "Date of birth (optional)"),
        "kind" => ("Loại tài khoản", "Account type"),
        "citizen" => ("Cá nhân", "Citizen"),
        "organisation" => ("Đơn vị, tổ chức", "Organisation"),
        "password" => ("Mật khẩu", "Password"),
        "current_password" => ("Mật khẩu hiện tại", "Current password"),
        "temporary_password" => ("Mật khẩu tạm thời (trong thư điện tử)", "Temporary password (from your e-mail)"),
        "new_password" => ("Mật khẩu mới", "New password"),
        "confirm" => ("Nhập lại mật khẩu", "Repeat the password"),
        "confirm_ok" => ("Hai mật khẩu khớp nhau.", "The passwords match."),
        "confirm_bad" => ("Hai mật khẩu chưa khớp nhau.", "The passwords do not match."),
        "show" => ("Hiện", "Show"),
        "hide" => ("Ẩn", "Hide"),
        "show_label" => ("Hiện mật khẩu", "Show password"),
        "suggest" => ("Gợi ý mật khẩu mạnh", "Suggest a strong password"),
        "suggested" => ("Đã điền một mật khẩu ngẫu nhiên. Hãy ghi nhớ hoặc lưu vào trình quản lý mật khẩu.", "A random password was filled in. Remember it or save it in a password manager."),
        "rules" => ("Yêu cầu của mật khẩu", "Password requirements"),
        "met" => ("đạt", "met"),
        "not_met" => ("chưa đạt", "not met"),
        "strength" => ("Độ mạnh", "Strength"),
        "score0" => ("Rất yếu", "Very weak"),
        "score1" => ("Yếu", "Weak"),
        "score2" => ("Trung bình", "Fair"),
        "score3" => ("Mạnh", "Strong"),
        "score4" => ("Rất mạnh", "Very strong"),
        "accepted" => ("Mật khẩu đạt yêu cầu.", "The password meets the policy."),
        "rejected" => ("Mật khẩu chưa đạt yêu cầu.", "The password does not meet the policy yet."),
        "advice" => ("Gợi ý", "Advice"),
        "loading" => ("Đang tải quy định mật khẩu…", "Loading the password policy…"),
        "policy_failed" => ("Không tải được quy định mật khẩu; máy chủ vẫn sẽ kiểm tra khi bạn gửi.", "The password policy could not be loaded; the server still checks when you submit."),
        "submit_signup" => ("Tạo tài khoản", "Create account"),
        "submit_login" => ("Đăng nhập", "Log in"),
        "submit_change" => ("Đổi mật khẩu", "Change password"),
        "sending" => ("Đang gửi…", "Sending…"),
        "signup_done" => ("Đã tạo tài khoản. Bạn có thể đăng nhập.", "Your account was created. You can log in now."),
        "login_done" => ("Đăng nhập thành công.", "You are logged in."),
        "change_done" => ("Đã đổi mật khẩu. Một thư thông báo đã được gửi tới bạn.", "Your password was changed. A notice was sent to your e-mail."),
        "go_login" => ("Đăng nhập", "Log in"),
        "forced_title" => ("Bạn cần đổi mật khẩu", "You must change your password"),
        "forced_temporary_sent" => ("Mật khẩu cũ không còn dùng được. Một mật khẩu tạm thời đã được gửi tới thư điện tử đã đăng ký: hãy nhập nó vào ô mật khẩu tạm thời rồi đặt mật khẩu mới.", "Your old password no longer works. A temporary password was sent to your registered e-mail: enter it as the temporary password, then choose a new one."),
        "fix_first" => ("Hãy sửa mật khẩu theo các gợi ý trước khi gửi.", "Fix the password as advised before sending."),
        "server_said" => ("Máy chủ trả lời", "The server answered"),
        "network" => ("Không kết nối được máy chủ. Hãy thử lại.", "Cannot reach the server. Please try again."),
        "signup_intro" => ("Mật khẩu phải có ít nhất {min_length} ký tự gồm chữ in hoa, chữ thường, chữ số và ký tự đặc biệt, và không được dễ đoán (họ tên, ngày sinh, số điện thoại…).", "Passwords need at least {min_length} characters with upper case, lower case, a digit and a special character, and must not be guessable (names, birth dates, phone numbers…)."),
        "e.login.failed" => ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
        "e.login.locked" => ("Tài khoản đang bị khoá tạm thời do nhập sai nhiều lần hoặc theo yêu cầu của quản trị viên.", "The account is locked after too many failed attempts or by an administrator."),
        "e.login.throttled" => ("Quá nhiều lần thử từ máy của bạn. Hãy đợi ít phút rồi thử lại.", "Too many attempts from your device. Wait a few minutes and try again."),
        "e.login.temporary_expired" => ("Mật khẩu tạm thời đã hết hạn. Hãy liên hệ bộ phận hỗ trợ để được cấp lại.", "The temporary password has expired. Contact support for a new one."),
        "e.account.revoked" => ("Tài khoản đã bị thu hồi.", "The account has been revoked."),
        "e.account.exists" => ("Tên đăng nhập này đã được dùng.", "This username is taken."),
        "e.account.invalid_username" => ("Tên đăng nhập không hợp lệ.", "The username is not valid."),
        "e.account.invalid_email" => ("Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is not valid."),
        "e.password.rejected" => ("Máy chủ không chấp nhận mật khẩu này:", "The server refused this password:"),
        "e.password.reused" => ("Bạn đã dùng mật khẩu này trước đây. Hãy chọn mật khẩu khác.", "You used this password before. Choose another one."),
        "e.password.similar" => ("Mật khẩu mới gần giống mật khẩu hiện tại. Hãy chọn mật khẩu khác hẳn.", "The new password is too close to the current one. Choose a different one."),
        "e.password.too_soon" => ("Mật khẩu vừa được đổi gần đây; hãy đợi rồi đổi lại.", "The password was changed too recently; wait before changing it again."),
        "reason.weak" => ("Mật khẩu hiện tại quá yếu theo quy định.", "Your password is too weak for the policy."),
        "reason.expired" => ("Mật khẩu đã quá {max_age} và phải đổi.", "Your password is older than {max_age} and must be changed."),
        "reason.temporary" => ("Bạn đang dùng mật khẩu tạm thời.", "You are using a temporary password."),
        "reason.first_login" => ("Đây là lần đăng nhập đầu tiên bằng mật khẩu được cấp.", "This is your first login with an issued password."),
        "reason.leaked" => ("Mật khẩu của tài khoản đã bị lộ.", "Your account's password has leaked."),
        "reason.breached" => ("Mật khẩu này có trong dữ liệu mật khẩu bị lộ mà kẻ gian dùng để dò.", "This password is in the leaked-password lists attackers try."),
        _ => return "?",
    };
    match locale {
        Locale::Vi => vi,
        Locale::En => en,
    }
}

//! What the mailbox name alone suggests. Generated sign-ups use machine-made names (long digit
//! runs, consonant soup, letter-digit alternation) and throwaway role names; people rarely do.

/// Mailbox names that belong to a function, not a person, or are obviously made up.
const ROLE_NAMES: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "billing",
    "contact",
    "example",
    "fake",
    "hello",
    "info",
    "mail",
    "mailer-daemon",
    "no-reply",
    "noreply",
    "null",
    "postmaster",
    "root",
    "sales",
    "support",
    "test",
    "user",
    "webmaster",
];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalPartHints {
    pub many_digits: bool,
    pub random_looking: bool,
    pub role_account: bool,
    pub too_long: bool,
}

pub(crate) fn analyse(local: &str) -> LocalPartHints {
    let local = local.to_lowercase();
    let mailbox = local.split('+').next().unwrap_or_default();
    let digits = mailbox.chars().filter(char::is_ascii_digit).count();
    let letters: Vec<char> = mailbox.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    LocalPartHints {
        // Birth years (2 or 4 digits) are normal; five or more, or a mostly numeric name, are not.
        many_digits: digits >= 5 || (mailbox.len() >= 6 && digits * 2 > mailbox.len()),
        random_looking: looks_random(mailbox, &letters),
        role_account: ROLE_NAMES.contains(&mailbox) || mailbox.starts_with("test"),
        too_long: mailbox.len() > 32,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn looks_random(mailbox: &str, letters: &[char]) -> bool {
    if mailbox.len() < 8 {
        return false;
    }
    let vowels = letters.iter().filter(|c| is_vowel(**c)).count();
    let mut run = 0;
    let mut longest_consonant_run = 0;
    for c in letters {
        run = if is_vowel(*c) { 0 } else { run + 1 };
        longest_consonant_run = longest_consonant_run.max(run);
    }
    // Switching between letters and digits again and again ("k3j9x2q7") is how generators mix.
    let kinds: Vec<bool> = mailbox.chars().filter(char::is_ascii_alphanumeric).map(|c| c.is_ascii_digit()).collect();
    let switches = kinds.windows(2).filter(|w| w[0] != w[1]).count();
    (letters.len() >= 8 && vowels * 6 < letters.len()) || longest_consonant_run >= 6 || switches >= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_clean() {
        for name in ["jane.doe", "john1984", "m.mueller", "schwarzkopf", "christopher.robinson"] {
            assert_eq!(analyse(name), LocalPartHints::default(), "{name}");
        }
    }

    #[test]
    fn machine_made_names_are_flagged() {
        assert!(analyse("user84736251").many_digits);
        assert!(analyse("xkcdqzptrw").random_looking);
        assert!(analyse("k3j9x2q7m1").random_looking);
        assert!(analyse("noreply").role_account);
        assert!(analyse("test123").role_account);
        assert!(analyse(&"a".repeat(40)).too_long);
    }
}

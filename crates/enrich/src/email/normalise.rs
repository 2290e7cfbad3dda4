//! Velocity keys: one key per mailbox, however the address was dressed up. Fraud rings rotate
//! `name+1@`, `name+2@` and (at Gmail) `n.ame@`, which all deliver to the same inbox.

/// Gmail ignores dots in the local part and `googlemail.com` is the same service.
const DOTS_IGNORED: &[&str] = &["gmail.com", "googlemail.com"];

/// The mailbox an address delivers to, as a lower-case key: the `+tag` is dropped (sub-addressing
/// is supported by Gmail, Outlook, iCloud, Proton, Fastmail and most mail servers, and a tag is
/// rarely part of a real mailbox name), Gmail dots are removed and `googlemail.com` becomes
/// `gmail.com`. `None` when the text has no `local@domain` shape.
pub fn normalise_for_velocity(email: &str) -> Option<String> {
    let email = email.trim();
    let (local, domain) = email.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    let local = local.to_lowercase();
    let mailbox = local.split('+').next().unwrap_or_default();
    if mailbox.is_empty() || domain.is_empty() {
        return None;
    }
    if DOTS_IGNORED.contains(&domain.as_str()) {
        let mailbox: String = mailbox.chars().filter(|c| *c != '.').collect();
        return (!mailbox.is_empty()).then(|| format!("{mailbox}@gmail.com"));
    }
    Some(format!("{mailbox}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_dots_and_tags_collapse() {
        assert_eq!(normalise_for_velocity("J.Doe+shop@GMail.com").as_deref(), Some("jdoe@gmail.com"));
        assert_eq!(normalise_for_velocity("j.d.o.e@googlemail.com").as_deref(), Some("jdoe@gmail.com"));
    }

    #[test]
    fn other_domains_keep_dots_but_lose_tags() {
        assert_eq!(normalise_for_velocity(" Jane.Doe+x@Example.COM. ").as_deref(), Some("jane.doe@example.com"));
        assert_eq!(normalise_for_velocity("a@b").as_deref(), Some("a@b"));
    }

    #[test]
    fn malformed_gives_none() {
        assert_eq!(normalise_for_velocity("no-at-sign"), None);
        assert_eq!(normalise_for_velocity("+tag@gmail.com"), None);
        assert_eq!(normalise_for_velocity("user@"), None);
        assert_eq!(normalise_for_velocity("...@gmail.com"), None);
    }
}

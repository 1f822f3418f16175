//! The ranked Vietnamese dictionaries (core/data/vn), folded to lower-case ASCII and searchable
//! by prefix. Built once per process from text compiled into the binary.

use crate::normalize::fold;
use std::sync::OnceLock;

/// Which list a word comes from; decides its feedback code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    /// Common Vietnamese passwords as typed.
    Password,
    /// The portal's and public service's own words.
    Portal,
    /// Family names.
    Surname,
    /// Middle names.
    Middle,
    /// Given-name syllables.
    Given,
    /// Provinces, cities, places.
    Place,
    /// Common words and phrases.
    Word,
}

impl List {
    /// Whether this list holds parts of personal names.
    pub fn is_name(self) -> bool {
        matches!(self, List::Surname | List::Middle | List::Given)
    }
}

/// One dictionary entry: its list and its rank there (1 = most common).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Source list.
    pub list: List,
    /// Rank within the list, from 1.
    pub rank: u32,
}

const SOURCES: [(List, &str); 7] = [
    (List::Password, include_str!("../../data/vn/passwords.txt")),
    (List::Portal, include_str!("../../data/vn/portal.txt")),
    (List::Surname, include_str!("../../data/vn/surnames.txt")),
    (List::Middle, include_str!("../../data/vn/middle_names.txt")),
    (List::Given, include_str!("../../data/vn/given_names.txt")),
    (List::Place, include_str!("../../data/vn/places.txt")),
    (List::Word, include_str!("../../data/vn/words.txt")),
];

/// The searchable dictionary: keys sorted, several entries per key allowed.
pub struct Dictionary {
    keys: Vec<(Box<str>, Entry)>,
    /// Length in chars of the longest key: no match is longer.
    pub max_len: usize,
}

/// Folded key of a list line: lower case, no diacritics; spaces dropped from words ("anh yêu em" →
/// "anhyeuem"); password lines are kept as typed apart from folding.
fn key_of(line: &str, list: List) -> String {
    let folded = fold(line.trim());
    if list == List::Password {
        folded
    } else {
        folded.chars().filter(|c| c.is_alphanumeric()).collect()
    }
}

/// Words for generated passphrases: given-name syllables (meaningful, everyday and never rude:
/// flowers, seasons, virtues), folded to ASCII so any keyboard types them, past the most common
/// `skip`, 3 to 6 letters.
pub fn passphrase_words(skip: usize) -> Vec<String> {
    let mut words: Vec<String> = SOURCES[4]
        .1
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains(' '))
        .skip(skip)
        .map(fold)
        .filter(|w| (3..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    words.sort();
    words.dedup();
    words
}

impl Dictionary {
    fn build() -> Dictionary {
        let mut keys: Vec<(Box<str>, Entry)> = Vec::new();
        for (list, text) in SOURCES {
            let mut rank = 0;
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                rank += 1;
                let key = key_of(line, list);
                if key.chars().count() >= 2 {
                    keys.push((key.into_boxed_str(), Entry { list, rank }));
                }
            }
        }
        // Same key twice in one list (two spellings folding alike): keep the better rank.
        keys.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.list.cmp(&b.1.list))
                .then(a.1.rank.cmp(&b.1.rank))
        });
        keys.dedup_by(|b, a| a.0 == b.0 && a.1.list == b.1.list);
        let max_len = keys
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        Dictionary { keys, max_len }
    }

    /// The process-wide dictionary.
    pub fn get() -> &'static Dictionary {
        static DICT: OnceLock<Dictionary> = OnceLock::new();
        DICT.get_or_init(Dictionary::build)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether it holds no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Entries whose key is exactly `key`, and whether any key starts with `key` (so a longer
    /// candidate is worth trying).
    pub fn lookup(&self, key: &str) -> (&[(Box<str>, Entry)], bool) {
        let start = self.keys.partition_point(|(k, _)| &**k < key);
        let end = start + self.keys[start..].partition_point(|(k, _)| &**k == key);
        let more = self.keys.get(end).is_some_and(|(k, _)| k.starts_with(key));
        (&self.keys[start..end], more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_fold() {
        let d = Dictionary::get();
        assert!(d.len() > 3000, "{} keys", d.len());
        let (hits, _) = d.lookup("nguyen");
        assert!(hits
            .iter()
            .any(|(_, e)| e.list == List::Surname && e.rank <= 3));
        let (hits, _) = d.lookup("matkhau");
        assert!(!hits.is_empty());
        let (hits, more) = d.lookup("nguye");
        assert!(hits.is_empty() && more);
    }
}

//! Enumerated attribute values. Every enum keeps values it does not know in `Unknown(String)`
//! and parses case-insensitively (`course`, `Course` and `COURSE` are the same; so are
//! `externalId`, `ExternalId` and `external-id`).

use super::decode::string_enum;

/// Lower-cases and drops `-`, `_` and spaces, for comparing enum spellings.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
}

/// Whether two spellings are the same once folded (`external-id` and `ExternalId`), compared
/// without allocating: enums are parsed for every item of a page.
pub(crate) fn same_folded(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        let kept = |c: &u8| !matches!(c, b'-' | b'_' | b' ');
        let a = a.bytes().filter(kept).map(|c| c.to_ascii_lowercase());
        return a.eq(b.bytes().filter(kept).map(|c| c.to_ascii_lowercase()));
    }
    folded(a).eq(folded(b))
}

string_enum! {
    /// The kind of a content item (`content-type`).
    ContentType {
        /// `Article`
        Article = "Article",
        /// `Book`
        Book = "Book",
        /// `Course`
        Course = "Course",
        /// `Video`
        Video = "Video",
        /// `Podcast`
        Podcast = "Podcast",
        /// `Event`
        Event = "Event",
        /// `Assessment`
        Assessment = "Assessment",
    }
}

impl ContentType {
    /// The typed-content path segment (`courses`) of a known kind.
    pub fn path_segment(&self) -> Option<&'static str> {
        Some(match self {
            ContentType::Article => "articles",
            ContentType::Book => "books",
            ContentType::Course => "courses",
            ContentType::Video => "videos",
            ContentType::Podcast => "podcasts",
            ContentType::Event => "events",
            ContentType::Assessment => "assessments",
            ContentType::Unknown(_) => return None,
        })
    }
}

string_enum! {
    /// The unit of a `duration` (`duration-type`).
    DurationType {
        /// `Seconds`
        Seconds = "Seconds" | "Second",
        /// `Minutes`
        Minutes = "Minutes" | "Minute",
        /// `Hours`
        Hours = "Hours" | "Hour",
        /// `Days`
        Days = "Days" | "Day",
        /// `Words` (articles).
        Words = "Words",
    }
}

string_enum! {
    /// How a completion or assignment names its user (`user-identifier-type`).
    UserIdentifierType {
        /// The Degreed user id.
        UserId = "UserId" | "Id",
        /// The organization (or personal) e-mail.
        Email = "Email",
        /// The customer's employee id.
        EmployeeId = "EmployeeId",
        /// The alias UID.
        AliasUid = "AliasUid",
        /// The alias e-mail.
        AliasEmail = "AliasEmail",
    }
}

string_enum! {
    /// How a completion or assignment names its content (`content-id-type`).
    ContentIdType {
        /// The Degreed content id.
        Id = "Id" | "ContentId",
        /// The customer's external id.
        ExternalId = "ExternalId",
        /// The content URL.
        ContentUrl = "ContentUrl" | "Url",
    }
}

string_enum! {
    /// Who can see a user's profile (`profile-visibility`).
    ProfileVisibility {
        /// `Everyone`
        Everyone = "Everyone",
        /// `Organization`
        Organization = "Organization",
        /// `Private`
        Private = "Private",
    }
}

string_enum! {
    /// A user's permission role (`permission-role`).
    PermissionRole {
        /// `Admin`
        Admin = "Admin",
        /// `LearningProfessional`
        LearningProfessional = "LearningProfessional",
        /// `Manager`
        Manager = "Manager",
        /// `Member`
        Member = "Member",
    }
}

string_enum! {
    /// A group's privacy (`privacy`).
    GroupPrivacy {
        /// `Open`
        Open = "Open",
        /// `Closed`
        Closed = "Closed",
        /// `Private`
        Private = "Private",
        /// `Administrative`
        Administrative = "Administrative",
    }
}

string_enum! {
    /// The state of a required-learning assignment (`status`).
    AssignmentStatus {
        /// `Pending`
        Pending = "Pending",
        /// `InProgress`
        InProgress = "InProgress",
        /// `Complete`
        Complete = "Complete" | "Completed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_forgiving_and_keeps_unknowns() {
        assert_eq!(ContentType::parse("course"), ContentType::Course);
        assert_eq!(
            ContentIdType::parse("externalId"),
            ContentIdType::ExternalId
        );
        assert_eq!(
            ContentIdType::parse("external-id"),
            ContentIdType::ExternalId
        );
        assert_eq!(
            UserIdentifierType::parse("EMAIL"),
            UserIdentifierType::Email
        );
        assert_eq!(
            PermissionRole::parse("learning_professional"),
            PermissionRole::LearningProfessional
        );
        let odd = ContentType::parse("Webinar");
        assert_eq!(odd, ContentType::Unknown("Webinar".into()));
        assert_eq!(odd.as_str(), "Webinar");
        assert!(odd.is_unknown());
        assert_eq!(ContentType::Course.to_string(), "Course");
        assert_eq!(ContentType::Course.path_segment(), Some("courses"));
        assert_eq!(DurationType::KNOWN.len(), 5);
        assert_eq!("Hours".parse::<DurationType>(), Ok(DurationType::Hours));
    }
}

from tolpuddle.core.exceptions import ApplicationError


class BallotLawError(ApplicationError):
    """Figures or dates the ballot law cannot be applied to (a vote count above the
    electorate, a ballot closing before it opens); the message says which."""

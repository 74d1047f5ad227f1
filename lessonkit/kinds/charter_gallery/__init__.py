"""The charter-gallery activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="charter-gallery",
    # the content model and the starter YAML
    model=".model:CharterGallery",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:charters_page",
    boards=".view:charters_boards",
    prebuilt=False,
    answer=".example:answer",
)

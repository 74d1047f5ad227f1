"""The charter-gallery activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="charter-gallery",
    # the content model and the starter YAML
    model="lessonkit.content:CharterGallery",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.charters:charters_page",
    boards="lessonkit.components.charters:charters_boards",
    prebuilt=False,
)

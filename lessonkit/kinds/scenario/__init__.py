"""The scenario activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="scenario",
    # the content model and the starter YAML
    model="lessonkit.content:Scenario",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.scenario:scenario_page",
    boards="lessonkit.components.scenario:scenario_boards",
    prebuilt=False,
)

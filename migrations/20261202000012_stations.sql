-- Where batches are baked (an oven, a fryer) and how many batches each can bake in a bake day.
-- Recipes name their station; a station without a row, or with no limit, is not counted.
CREATE TABLE stations (
    name            TEXT    PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 40),
    batches_per_day INTEGER CHECK (batches_per_day IS NULL OR batches_per_day BETWEEN 0 AND 10000)
);

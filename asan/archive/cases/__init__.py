"""Cases of the nomenclature: their lifecycle, disposal dates and the documents filed in them."""

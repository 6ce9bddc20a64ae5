import AxiomCore
